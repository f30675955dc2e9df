eval -f csv output/通用.rubric output/快路.csv
