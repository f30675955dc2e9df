eval -f json output/通用.rubric output/快路.csv
