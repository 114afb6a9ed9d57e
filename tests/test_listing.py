from tuific.listing import Listing, ListItem
from tuific.model import Metadata, Story
from tuific.query import make_entry, parse_query
from tuific.sorting import SortInfo


def listed(*titles_and_words):
    listing = Listing()
    for title, words in titles_and_words:
        story = Story(f"/lib/{title}.txt", "text", Metadata(title=title, authors=["A"]), words)
        listing.add(ListItem(story), make_entry(story))
    return listing


def titles(listing, indices):
    return [listing.items[i].story.meta.title for i in indices]


def test_add_refuses_a_path_listed_already():
    listing = listed(("Moss", 10))
    story = listing.items[0].story
    assert not listing.add(ListItem(story), make_entry(story))
    assert len(listing) == 1


def test_sort_then_filter_keeps_sort_order():
    listing = listed(("Moss", 10), ("Amber", 300), ("Zinc", 20))
    listing.sort("words", False, lambda item: SortInfo())
    assert titles(listing, listing.order) == ["Amber", "Zinc", "Moss"]
    assert titles(listing, listing.filter(parse_query("-moss"))) == ["Amber", "Zinc"]
    listing.sort("title", True, lambda item: SortInfo())
    assert titles(listing, listing.filter(parse_query(""))) == ["Zinc", "Moss", "Amber"]


def test_filter_within_narrows_an_earlier_result():
    listing = listed(("Moss", 10), ("Mossy Bank", 300), ("Zinc", 20))
    listing.sort("title", False, lambda item: SortInfo())
    first = listing.filter(parse_query("mo"))
    assert titles(listing, listing.filter(parse_query("mossy"), within=first)) == ["Mossy Bank"]


def test_state_sorts_ask_for_sort_info_and_others_do_not():
    listing = listed(("Moss", 10), ("Amber", 300))
    asked = []

    def info(item):
        asked.append(item.story.meta.title)
        return SortInfo(progress=0.9 if item.story.meta.title == "Moss" else 0.1)

    listing.sort("title", False, info)
    assert asked == []
    listing.sort("progress", False, info)
    assert titles(listing, listing.order) == ["Moss", "Amber"] and len(asked) == 2


def test_remove_and_move_keep_lookups_in_step():
    listing = listed(("Moss", 10), ("Amber", 300), ("Zinc", 20))
    listing.remove({"/lib/Amber.txt"})
    assert [i.story.meta.title for i in listing.items] == ["Moss", "Zinc"]
    assert listing.item("/lib/Zinc.txt").story.meta.title == "Zinc"
    assert listing.item("/lib/Amber.txt") is None
    listing.move("/lib/Zinc.txt", "/lib/new/Zinc.txt")
    assert listing.item("/lib/Zinc.txt") is None
    assert listing.entry("/lib/new/Zinc.txt").path == "/lib/new/Zinc.txt"
    assert listing.item("/lib/new/Zinc.txt").story.path == "/lib/new/Zinc.txt"


def test_append_unsorted_shows_new_stories_last():
    listing = listed(("Moss", 10))
    listing.sort("title", False, lambda item: SortInfo())
    story = Story("/lib/Amber.txt", "text", Metadata(title="Amber"), 5)
    listing.add(ListItem(story), make_entry(story))
    listing.append_unsorted()
    assert titles(listing, listing.order) == ["Moss", "Amber"]
