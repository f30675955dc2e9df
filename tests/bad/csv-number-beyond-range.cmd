eval -f csv base.rubric in/csv-number-beyond-range.csv
