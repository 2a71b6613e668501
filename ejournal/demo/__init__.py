"""The deterministic demo school: people, curriculum, timetable and a year of journal records from a seed."""
