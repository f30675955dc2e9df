render -f md outputs/旧.rubric
