check in/rubric-number-nan.rubric
