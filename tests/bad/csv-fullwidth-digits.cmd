eval -f csv base.rubric in/csv-fullwidth-digits.csv
