"""Pages of curriculum and timetable: учебный план, нагрузка, расписание, замены, КТП."""
