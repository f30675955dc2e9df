diff outputs/旧.rubric outputs/新.rubric outputs/团队.csv
