check in/rubric-invalid-utf8.rubric
