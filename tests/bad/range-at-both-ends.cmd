eval -f csv base.rubric in/range.csv
