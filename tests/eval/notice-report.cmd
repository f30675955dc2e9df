report outputs/警告.rubric outputs/团队.csv
