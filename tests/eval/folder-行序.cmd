eval -j 1 -f csv folder/行序.rubric folder/行序
