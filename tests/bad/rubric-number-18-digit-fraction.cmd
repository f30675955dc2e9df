check in/rubric-number-18-digit-fraction.rubric
