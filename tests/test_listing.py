from tuific.listing import Listing, ListItem, Reading
from tuific.model import Metadata, Stories, Story
from tuific.query import parse_query
from tuific.sorting import SortInfo


def story(title: str, words: int = 10) -> Story:
    return Story(f"/lib/{title}.txt", "text", Metadata(title=title, authors=["A"]), words)


def listed(*titles_and_words, reading=None):
    listing = Listing(reading) if reading else Listing()
    listing.add(Stories(story(title, words) for title, words in titles_and_words))
    return listing


def titles(listing, indices):
    return [listing.items[i].story.meta.title for i in indices]


def no_info(path, fingerprint):
    return SortInfo()


class Counted(Stories):
    """Stories that count how many were built (as the cache's columns build them)."""

    def __init__(self, stories):
        super().__init__(stories)
        self.built = []

    def story(self, index):
        self.built.append(index)
        return self[index]


def test_a_listed_library_builds_only_the_items_asked_for():
    source = Counted([story("Moss"), story("Amber"), story("Zinc")])
    listing = Listing()
    listing.add(source)
    listing.sort("title", False, no_info)
    assert listing.filter(parse_query("zinc")) == [2]
    assert source.built == []  # sorted and filtered from the columns alone
    assert listing.items[2].story.meta.title == "Zinc"
    assert listing.items[2] is listing.items[2]
    assert source.built == [2]


def test_items_take_their_reading_state_and_the_filter_follows():
    def reading(path, fingerprint, *length_and_source):
        return Reading(0.5, "reading", True) if "Moss" in path else Reading()

    listing = listed(("Moss", 10), ("Amber", 30), reading=reading)
    listing.sort("title", False, no_info)
    assert listing.filter(parse_query("read:reading fav:yes")) == [0]
    item = listing.items[0]
    assert (item.progress, item.read, item.favourite) == (0.5, "reading", True)
    item.read, item.favourite = "finished", False
    listing.note_reading(item)
    assert listing.filter(parse_query("read:finished")) == [0]
    assert listing.filter(parse_query("fav:yes")) == []


def test_add_refuses_a_path_listed_already():
    listing = listed(("Moss", 10))
    listing.add(Stories([story("Moss"), story("Amber"), story("Amber")]))
    assert titles(listing, range(len(listing))) == ["Moss", "Amber"]
    assert listing.filter(parse_query("amber")) == []  # not sorted into the order yet
    listing.append_unsorted()
    assert listing.filter(parse_query("amber")) == [1]


def test_added_items_made_already_are_kept():
    listing = listed(("Moss", 10))
    amber = story("Amber")
    item = ListItem(amber, 0.25, "reading", True)
    from tuific.query import make_entries

    listing.add(Stories([amber]), make_entries([amber], ["reading"], [True]), [item])
    assert listing.item("/lib/Amber.txt") is item


def test_sort_then_filter_keeps_sort_order():
    listing = listed(("Moss", 10), ("Amber", 300), ("Zinc", 20))
    listing.sort("words", False, no_info)
    assert titles(listing, listing.order) == ["Amber", "Zinc", "Moss"]
    assert titles(listing, listing.filter(parse_query("-moss"))) == ["Amber", "Zinc"]
    listing.sort("title", True, no_info)
    assert titles(listing, listing.filter(parse_query(""))) == ["Zinc", "Moss", "Amber"]


def test_filter_within_narrows_an_earlier_result():
    listing = listed(("Moss", 10), ("Mossy Bank", 300), ("Zinc", 20))
    listing.sort("title", False, no_info)
    first = listing.filter(parse_query("mo"))
    assert titles(listing, listing.filter(parse_query("mossy"), within=first)) == ["Mossy Bank"]


def test_state_sorts_ask_for_sort_info_and_others_do_not():
    listing = listed(("Moss", 10), ("Amber", 300))
    asked = []

    def info(path, fingerprint):
        asked.append(path)
        return SortInfo(progress=0.9 if "Moss" in path else 0.1)

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
    assert listing.filter(parse_query("zinc")) == [1]
    listing.move("/lib/Zinc.txt", "/lib/new/Zinc.txt")
    assert listing.item("/lib/Zinc.txt") is None
    assert listing.index("/lib/new/Zinc.txt") == 1
    assert listing.entries.row(1).path == "/lib/new/Zinc.txt"
    assert listing.item("/lib/new/Zinc.txt").story.path == "/lib/new/Zinc.txt"


def test_append_unsorted_shows_new_stories_last():
    listing = listed(("Moss", 10))
    listing.sort("title", False, no_info)
    listing.add(Stories([story("Amber", 5)]))
    listing.append_unsorted()
    assert titles(listing, listing.order) == ["Moss", "Amber"]


def test_a_list_row_reads_its_fields_without_building_the_story():
    from tuific.ui.widgets.story_list import cell_text

    source = Counted([story("Moss", 1200), story("Amber", 5)])
    listing = Listing()
    listing.add(source)
    item = listing.items[1]
    cells = [cell_text(item, key) for key in ("title", "author", "words", "chapters", "rating")]
    assert cells == ["Amber", "A", "5", "1", "NR"]
    assert source.built == []
    assert item.story.meta.title == "Amber" and source.built == [1]
    assert item.value("words") == 5  # and from the story, once built


def test_the_entries_are_made_once_when_first_asked_for_from_any_thread(monkeypatch):
    import threading
    import time

    listing = listed(("Alder", 10), ("Birch", 20))
    assert listing._entries is None  # not made by listing
    made = []
    real = Listing._entries_for

    def slow(self, stories):
        made.append(stories)
        time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        return real(self, stories)

    monkeypatch.setattr(Listing, "_entries_for", slow)
    got = []
    threads = [threading.Thread(target=lambda: got.append(listing.entries)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and got[0] is got[1] is listing.entries
    listing.sort("title", False, no_info)
    assert titles(listing, listing.filter(parse_query("birch"))) == ["Birch"]


def test_stories_added_before_the_entries_are_made_are_searched():
    listing = listed(("Alder", 10))
    listing.add(Stories([story("Birch", 20)]))
    listing.remove({"/lib/Alder.txt"})
    assert listing._entries is None
    listing.order = [0]
    assert titles(listing, listing.filter(parse_query("birch"))) == ["Birch"]
    assert listing.filter(parse_query("alder")) == []


def test_batches_added_in_place_keep_the_index_and_the_search_right():
    listing = listed(("Alder", 10))
    assert listing.entries is not None  # made: later batches extend them in place
    calls = []
    listing.entries.finder = lambda term: calls.append(term) or [0]  # the first batch's
    assert listing.index("/lib/Alder.txt") == 0  # the index is made now...
    for title in ("Birch", "Cedar", "Damson"):
        listing.add(Stories([story(title)]))
    # ...and follows each batch without being made again.
    assert [listing.index(f"/lib/{t}.txt") for t in ("Birch", "Cedar", "Damson")] == [1, 2, 3]
    assert len(listing.entries) == 4 and listing.entries.finder is None
    listing.append_unsorted()
    assert titles(listing, listing.filter(parse_query("cedar"))) == ["Cedar"]
    assert titles(listing, listing.filter(parse_query("alder"))) == ["Alder"]
    assert calls == []  # the first batch's finder knows nothing of the others
