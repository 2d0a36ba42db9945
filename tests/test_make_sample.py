from PIL import Image

from flowers_helpers.make_sample import build_sample

from conftest import write_photo


def test_build_sample_downscales_and_keeps_attributions(tmp_path):
    source = tmp_path / "full"
    lines = ["All images are licensed CC-BY", "https://creativecommons.org/licenses/by/2.0/", ""]
    for name in ("daisy", "roses"):
        for i in range(4):
            write_photo(source / name / f"{i}.jpg", seed=i, size=(400, 300))
            lines.append(f"{name}/{i}.jpg CC-BY by Someone {i} - https://example.org/{i}")
    (source / "LICENSE.txt").write_text("\n".join(lines) + "\n")

    size = build_sample(source, tmp_path / "sample", per_class=2)

    photos = sorted((tmp_path / "sample").rglob("*.jpg"))
    assert len(photos) == 4 and size == sum(p.stat().st_size for p in (tmp_path / "sample").rglob("*") if p.is_file())
    for photo in photos:
        with Image.open(photo) as image:
            assert image.size == (240, 180)
    licence = (tmp_path / "sample" / "LICENSE.txt").read_text().splitlines()
    assert licence[:2] == lines[:2]
    assert sorted(line.split()[0] for line in licence if ".jpg" in line) == [
        f"{p.parent.name}/{p.name}" for p in photos
    ]
