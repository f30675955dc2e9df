explain outputs/旧.rubric outputs/团队.csv --id E1
