eval -f csv base.rubric in/good1.facts in/facts/unicode-spaces.facts in/good3.facts
