check in/rubric-empty.rubric
