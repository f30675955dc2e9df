check in/rubric-nul.rubric
