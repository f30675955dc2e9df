eval -f csv base.rubric in/csv-unicode-spaces.csv
