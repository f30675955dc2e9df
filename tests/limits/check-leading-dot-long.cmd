check leading-dot-long.rubric
