from ai_components.sentiment import confidence, label, score, tokens


def test_tokens():
    assert tokens("I'm SAFE, and warm!") == ["i'm", "safe", "and", "warm"]


def test_score_and_negation():
    assert score("I feel safe and warm") == 1.0
    assert score("I am not happy") < 0
    assert score("") == 0.0


def test_labels():
    assert label("calm and hopeful, glad") == "positive"
    assert label("sad and alone") == "negative"
    assert label("the door is red") == "neutral"


def test_confidence():
    assert confidence([0.5, 0.5]) == 1.0
    assert confidence([1.0, -1.0]) == 0.0
