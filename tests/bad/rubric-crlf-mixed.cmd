check in/rubric-crlf-mixed.rubric
