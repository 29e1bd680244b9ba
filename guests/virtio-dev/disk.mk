# The virtio-blk disk the device partition serves (guests/virtio-dev/blk.c,
# docs/virtio.md): a 4 MiB ext4 file system holding guests/virtio-dev/disk/,
# made by mkfs.ext4 -d (e2fsprogs). The same inputs give the same bytes: a
# fixed UUID, hash seed and time stamp. Included by the Makefile;
# configs/linux-pair.c preloads it into the device partition's RAM.
VIRTIO_DISK := build/virtio/disk.img
VIRTIO_DISK_FILES := $(wildcard guests/virtio-dev/disk/*)

$(VIRTIO_DISK): $(VIRTIO_DISK_FILES) guests/virtio-dev/disk.mk
	@mkdir -p $(dir $@)
	$(call say,MKFS,$@)
	@command -v mkfs.ext4 >/dev/null || { echo "error: mkfs.ext4 not found: run 'make setup' (it installs e2fsprogs)" >&2; exit 1; }
	$(Q)rm -f $@.tmp && E2FSPROGS_FAKE_TIME=1 mkfs.ext4 -q -F -L virtio-disk \
		-U 6b1d0b6e-0000-4000-8000-000000000013 -E root_owner=0:0,hash_seed=6b1d0b6e-0000-4000-8000-000000000013 \
		-d guests/virtio-dev/disk $@.tmp 4M && mv $@.tmp $@

.PHONY: virtio-disk
virtio-disk: $(VIRTIO_DISK)
