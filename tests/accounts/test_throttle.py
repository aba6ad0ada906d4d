from tests.conftest import PASSWORD


def test_sixth_wrong_password_in_a_minute_gets_429(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post("/login", data={"email": user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "Wait a minute" in response.get_data(as_text=True)
    # Even the right password waits: the point is to stop guessing.
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_successful_logins_do_not_count(app, make_user):
    user = make_user()
    for _ in range(8):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302


def test_one_account_is_protected_across_addresses(client, make_user):
    user = make_user()
    statuses = [
        client.post(
            "/login",
            data={"email": user.email, "password": "wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
