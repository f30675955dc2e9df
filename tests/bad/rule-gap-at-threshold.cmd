eval -f csv in/gap.rubric in/gap.csv
