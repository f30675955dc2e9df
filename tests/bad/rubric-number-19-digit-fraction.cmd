check in/rubric-number-19-digit-fraction.rubric
