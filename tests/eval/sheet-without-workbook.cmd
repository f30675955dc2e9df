eval --sheet 第二季度 show/显示.rubric show/员工.csv
