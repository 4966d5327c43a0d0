def test_happy_path(world):
    answer = world.ask()
    assert answer.status == 202, answer.text
    world.deliver()
    confirm = world.last_link("ada@example.org")
    page = world.get(confirm)
    assert page.status == 200, page.text
    assert world.post_form(confirm, {"decision": "confirm"}).status == 200
    world.deliver()
    review = world.last_link("grace@example.org")
    assert world.post_form(review, {"decision": "approve", "note": "You two will get on."}).status == 200
    world.deliver()
    consent = world.last_link("alan@example.net")
    assert world.post_form(consent, {"decision": "accept"}).status == 200
    world.deliver()
    intro = world.mail()[-1]
    assert intro["subject"].startswith("Introduction:")
    assert "grace@example.org" in intro["cc"][0]
