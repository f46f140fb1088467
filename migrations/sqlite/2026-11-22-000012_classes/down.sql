DROP TABLE class_attendance;
DROP TABLE class_enrollments;
DROP TABLE class_sessions;
DROP TABLE classes;
