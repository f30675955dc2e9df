check in/rubric-unclosed-string.rubric
