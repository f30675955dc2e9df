render -f html outputs/旧.rubric
