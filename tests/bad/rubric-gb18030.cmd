check in/rubric-gb18030.rubric
