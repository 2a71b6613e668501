"""REST API of curriculum and timetable under /api/v1/.

Querysets come from access/ (an object out of scope is 404); writes call the same services as the pages, so
a broken rule answers {"code", "message", "fields"} (api/v1/errors.py) with the service's status and saves nothing.
"""

from django.urls import path

from . import plan, timetable

urlpatterns = [
    path("subjects/", plan.SubjectList.as_view(), name="api-subjects"),
    path("curriculum-hours/", plan.CurriculumHoursView.as_view(), name="api-curriculum-hours"),
    path("assignments/", plan.AssignmentList.as_view(), name="api-assignments"),
    path("assignments/<id:pk>/", plan.AssignmentDetail.as_view(), name="api-assignment"),
    path("assignments/<id:pk>/end/", plan.AssignmentEnd.as_view(), name="api-assignment-end"),
    path("assignments/<id:pk>/planned-topics/", plan.PlannedTopics.as_view(), name="api-planned-topics"),
    path("bells/", timetable.BellList.as_view(), name="api-bells"),
    path("timetable-slots/", timetable.SlotList.as_view(), name="api-timetable-slots"),
    path("timetable-slots/<id:pk>/", timetable.SlotDetail.as_view(), name="api-timetable-slot"),
    path("timetable/generate/", timetable.Generate.as_view(), name="api-timetable-generate"),
    path("lessons/", timetable.LessonList.as_view(), name="api-lessons"),
    path("lessons/<id:pk>/", timetable.LessonDetail.as_view(), name="api-lesson"),
    path("lessons/<id:pk>/replace/", timetable.LessonReplace.as_view(), name="api-lesson-replace"),
    path("lessons/<id:pk>/cancel/", timetable.LessonCancel.as_view(), name="api-lesson-cancel"),
    path("lessons/<id:pk>/restore/", timetable.LessonRestore.as_view(), name="api-lesson-restore"),
    path("lessons/<id:pk>/move/", timetable.LessonMove.as_view(), name="api-lesson-move"),
    path("extra-lessons/", timetable.ExtraLessons.as_view(), name="api-extra-lessons"),
]
