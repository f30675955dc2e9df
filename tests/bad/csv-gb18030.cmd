eval -f csv base.rubric in/csv-gb18030.csv
