eval -f csv --strict quota/配额.rubric quota/团队.csv
