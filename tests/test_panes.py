from tuific.ui.panes import visible_panes


def test_wide_shows_all_three():
    assert visible_panes(160, "list", True, True) == ["list", "reader", "meta"]
    assert visible_panes(120, "reader", True, True) == ["list", "reader", "meta"]


def test_medium_shows_two_with_the_active_one():
    assert visible_panes(100, "list", True, True) == ["list", "reader"]
    assert visible_panes(100, "meta", True, True) == ["reader", "meta"]


def test_medium_before_any_story_prefers_list_and_metadata():
    assert visible_panes(100, "list", True, True, reading=False) == ["list", "meta"]


def test_narrow_shows_only_the_active_pane():
    for pane in ("list", "reader", "meta"):
        assert visible_panes(80, pane, True, True) == [pane]


def test_hidden_panes_stay_hidden_unless_active():
    assert visible_panes(160, "reader", False, False) == ["reader"]
    assert visible_panes(160, "reader", True, False) == ["list", "reader"]
    assert visible_panes(160, "list", False, True) == ["list", "reader", "meta"]
