#!/usr/bin/env bash
# Fetches Grid's open sample data from Debian packages and prepares it:
#   data/images/train, data/images/val  still images (PNG, longer side <= 768), split by image group
#   data/frames/train                   frames sampled from two sample videos (training only)
#   data/video/*.avi                    sample videos for stream demos (vtest.avi is the demo stream)
#   data/sequences/mire-2/*.png         a grayscale frame sequence unlike the training data (never trained on)
# Idempotent: a stamp records the preparation recipe; a rerun with the same recipe does nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${GRID_DATA:-$root/data}
recipe=3   # bump when the selection or processing below changes
stamp=$data/.prepared-v$recipe
max_side=768

if [[ -f $stamp ]]; then
  echo "data: ready in $data"
  exit 0
fi

packages=(opencv-doc plasma-workspace-wallpapers visp-images-data)
cache=$data/cache
mkdir -p "$cache/debs" "$cache/x"

for package in "${packages[@]}"; do
  if ! compgen -G "$cache/debs/${package}_*.deb" >/dev/null; then
    echo "data: downloading $package (Debian package)"
    (cd "$cache/debs" && apt-get download -qq "$package" 2>/dev/null) || {
      echo "data: 'apt-get download $package' failed; run 'apt-get update' (./grid setup does) and retry" >&2
      exit 1
    }
  fi
done

extract() { # package, paths inside the package...
  local deb; deb=$(compgen -G "$cache/debs/${1}_*.deb" | head -n 1); shift
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/x" --wildcards "$@"
}
echo "data: extracting"
extract opencv-doc './usr/share/doc/opencv-doc/examples/data/*'
extract plasma-workspace-wallpapers './usr/share/wallpapers/*'
extract visp-images-data './usr/share/visp-images-data/ViSP-images/mire-2/*'

rm -rf "$data/images" "$data/frames" "$data/video" "$data/sequences"
mkdir -p "$data/images/train" "$data/images/val" "$data/frames/train" "$data/video" "$data/sequences/mire-2"

# Scales down (never up) so the longer side is at most $max_side, then writes 8-bit RGB PNG.
to_png() { # source, destination
  ffmpeg -nostdin -loglevel error -y -i "$1" -frames:v 1 \
    -vf "scale=w='min($max_side,iw)':h='min($max_side,ih)':force_original_aspect_ratio=decrease:flags=lanczos" \
    -pix_fmt rgb24 "$2"
}

# Near-duplicate pairs (stereo views, before/after shots) share a group so they land on one side of the split.
group_of() { echo "$1" | sed -E 's/(_?(original|modified)|[0-9]+|[LR]|[AB])$//; s/^(left|right)$/stereo/'; }

# About one group in five is held out, chosen by a stable hash of the group name.
split_of() { local h; h=$(printf '%s' "$1" | md5sum | cut -c1-8); if (( 16#$h % 5 == 0 )); then echo val; else echo train; fi; }

opencv=$cache/x/usr/share/doc/opencv-doc/examples/data
photos=(Blender_Suzanne1.jpg Blender_Suzanne2.jpg HappyFish.jpg aero1.jpg aero3.jpg aloeL.jpg aloeR.jpg apple.jpg
  baboon.jpg board.jpg building.jpg butterfly.jpg ela_original.jpg ela_modified.jpg fruits.jpg home.jpg left.jpg
  right.jpg leuvenA.jpg leuvenB.jpg licenseplate_motion.jpg messi5.jpg orange.jpg pca_test1.jpg squirrel_cls.jpg
  starry_night.jpg stuff.jpg graf1.png graf3.png rubberwhale1.png rubberwhale2.png smarties.png chicky_512.png
  cards.png basketball1.png basketball2.png box_in_scene.png pic1.png pic2.png pic3.png pic4.png pic5.png pic6.png)
count=0
for file in "${photos[@]}"; do
  name=${file%.*}
  group=$(group_of "$name")
  to_png "$opencv/$file" "$data/images/$(split_of "$group")/$name.png"
  count=$((count + 1))
done

# Wallpapers: the largest light variant of each (photographs and digital art, 2560..5120 px wide).
for dir in "$cache"/x/usr/share/wallpapers/*/contents/images; do
  name=$(basename "$(dirname "$(dirname "$dir")")")
  largest=$(ls -S "$dir" | head -n 1)
  to_png "$dir/$largest" "$data/images/$(split_of "$name")/wallpaper-$name.png"
  count=$((count + 1))
done
echo "data: $count images ($(ls "$data/images/train" | wc -l) train, $(ls "$data/images/val" | wc -l) held out)"

for video in vtest.avi tree.avi Megamind.avi; do cp "$opencv/$video" "$data/video/"; done
# Training frames: every 20th frame of the two non-demo videos (the demo stream vtest.avi stays unseen).
for video in tree Megamind; do
  ffmpeg -nostdin -loglevel error -y -i "$data/video/$video.avi" -vf "select='not(mod(n\,20))'" -vsync vfr \
    -pix_fmt rgb24 "$data/frames/train/$video-%03d.png"
done
echo "data: $(ls "$data/frames/train" | wc -l) training frames from tree.avi and Megamind.avi"

for frame in "$cache"/x/usr/share/visp-images-data/ViSP-images/mire-2/*.pgm; do
  ffmpeg -nostdin -loglevel error -y -i "$frame" -pix_fmt rgb24 "$data/sequences/mire-2/$(basename "${frame%.*}").png"
done
echo "data: $(ls "$data/sequences/mire-2" | wc -l) frames of the grayscale sequence mire-2"

rm -rf "$cache/x"
touch "$stamp"
echo "data: ready in $data"
