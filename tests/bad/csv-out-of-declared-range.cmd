eval -f csv base.rubric in/csv-out-of-declared-range.csv
