from click.testing import CliRunner

from pgo.cli import main


def test_catalogue_check_prints_scores_and_passes(tmp_path):
    result = CliRunner().invoke(main, ["catalogue", "check", "--fixtures", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "hemoglobin [nl/simple] Flesch-Douma" in result.output
    assert "hemoglobin [en/standard] FK grade" in result.output


def test_catalogue_check_fails_on_uncovered_codes(tmp_path):
    (tmp_path / "obs.json").write_text(
        '{"resourceType": "Observation", "code": {"coding": [{"system": "http://example.org", "code": "zz"}]}}'
    )
    result = CliRunner().invoke(main, ["catalogue", "check", "--failures-only", "--fixtures", str(tmp_path)])
    assert result.exit_code == 1
    assert "missing  http://example.org|zz" in result.output
