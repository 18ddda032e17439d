def test_home_page_lists_counts(mini_client):
    response = mini_client.get("/")
    assert response.status_code == 200
    assert b"Pledge" in response.data


def test_unknown_route_is_404_plain_text(mini_client):
    response = mini_client.get("/no/such/page", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
