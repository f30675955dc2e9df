explain -f json outputs/旧.rubric outputs/团队.csv --id E2
