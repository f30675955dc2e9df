check in/rubric-number-beyond-range.rubric
