check plurals/五十一.rubric
