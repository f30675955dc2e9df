report outputs/旧.rubric outputs/团队.csv
