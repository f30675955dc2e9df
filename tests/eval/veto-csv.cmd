eval -f csv veto/否决与输出.rubric veto/员工.csv
