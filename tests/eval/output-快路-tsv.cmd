eval -f tsv output/快路.rubric output/快路.csv
