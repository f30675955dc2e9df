check -v full-score-note.rubric
