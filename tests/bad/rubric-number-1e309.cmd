check in/rubric-number-1e309.rubric
