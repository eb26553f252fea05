//! Pages of the binary's built-in data that are read once, while parsing, and never again.
//!
//! The built-in tables are compiled into the binary (`include_bytes!`), so the system maps
//! their pages from the file as they are read and keeps them counted in the process's
//! resident memory for its whole life. A table that is parsed into heap structures once can
//! give the pages it will not read again back, at no risk: they are never written, so
//! reading them later (nothing does) would only map the same bytes from the file again.

use std::ops::Range;

/// The system's page size.
pub(crate) fn size() -> usize {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system constant.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size).unwrap_or(4096)
    }
    #[cfg(not(unix))]
    4096
}

/// Gives back the pages `pages` (an address range, page-aligned) of `data`, which must lie
/// within it. Debug builds check both; a release build skips pages that do not qualify.
pub(crate) fn release(data: &'static [u8], pages: Range<usize>) {
    let start = data.as_ptr() as usize;
    let fits = start <= pages.start
        && pages.end <= start + data.len()
        && pages.start.is_multiple_of(size())
        && pages.end.is_multiple_of(size());
    debug_assert!(fits, "{pages:x?} is not whole pages of the data");
    if !fits || pages.is_empty() {
        return;
    }
    #[cfg(unix)]
    // SAFETY: the range is whole pages inside `data`, a static of the binary's read-only
    // data: a private mapping of the executable file that nothing ever writes. MADV_DONTNEED
    // only drops these pages from the process; a later read maps the same bytes from the file
    // again, so no reference to `data` can observe a change.
    unsafe {
        libc::madvise(
            pages.start as *mut libc::c_void,
            pages.len(),
            libc::MADV_DONTNEED,
        );
    }
}

/// Gives back the pages of the dynamic loader's relocation table (`.rela.dyn`) in the
/// executable. The loader reads it once, before `main`, to fix up the addresses in a
/// position-independent binary, and nothing reads it again; it is about 1 MiB here, which
/// otherwise stays counted in the process's resident memory for its whole life. Call it first
/// thing in `main`: relocation is over by then.
pub fn release_loader_relocations() {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    if let Some(table) = relocation_table() {
        let page = size();
        let pages = table.start.div_ceil(page) * page..table.end / page * page;
        if pages.start < pages.end {
            // SAFETY: whole pages of the executable's relocation table, a read-only private
            // mapping of the file that nothing writes and nothing reads after start-up;
            // MADV_DONTNEED only drops them from the process (a read would map them again).
            unsafe {
                libc::madvise(
                    pages.start as *mut libc::c_void,
                    pages.len(),
                    libc::MADV_DONTNEED,
                );
            }
        }
    }
}

/// Where the executable's `.rela.dyn` is in memory: `DT_RELA` and `DT_RELASZ` of its dynamic
/// section, which the program headers of the first object the loader lists (the executable)
/// point at.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn relocation_table() -> Option<Range<usize>> {
    /// An entry of the dynamic section (`Elf64_Dyn`).
    #[repr(C)]
    struct Dynamic {
        tag: i64,
        value: u64,
    }
    const DT_NULL: i64 = 0;
    const DT_RELA: i64 = 7;
    const DT_RELASZ: i64 = 8;

    unsafe extern "C" fn first_object(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        found: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid `info` for the duration of the call, whose
        // program headers and dynamic section are mapped; `found` is the `Option` below.
        unsafe {
            let info = &*info;
            let found = &mut *found.cast::<Option<Range<usize>>>();
            let base = info.dlpi_addr as usize;
            let headers = std::slice::from_raw_parts(info.dlpi_phdr, usize::from(info.dlpi_phnum));
            let Some(dynamic) = headers.iter().find(|h| h.p_type == libc::PT_DYNAMIC) else {
                return 1;
            };
            let mut entry = (base + dynamic.p_vaddr as usize) as *const Dynamic;
            let (mut at, mut length) = (None, None);
            while (*entry).tag != DT_NULL {
                match (*entry).tag {
                    DT_RELA => at = Some((*entry).value as usize),
                    DT_RELASZ => length = Some((*entry).value as usize),
                    _ => {}
                }
                entry = entry.add(1);
            }
            if let (Some(at), Some(length)) = (at, length) {
                // Some loaders rewrite DT_RELA to its address, others leave the offset from
                // the load address: an offset is below the load address of a PIE.
                let start = if at < base { base + at } else { at };
                *found = Some(start..start + length);
            }
            1 // the first object is the executable: stop there
        }
    }

    let mut found: Option<Range<usize>> = None;
    // SAFETY: the callback only reads what the loader hands it and writes `found`.
    unsafe {
        libc::dl_iterate_phdr(
            Some(first_object),
            (&mut found as *mut Option<Range<usize>>).cast(),
        );
    }
    found
}

#[cfg(all(test, target_os = "linux", target_pointer_width = "64"))]
mod tests {
    use super::*;

    #[test]
    fn the_relocation_table_is_found_inside_the_executable_image() {
        let table = relocation_table().expect("a PIE test binary has relocations");
        assert!(
            !table.is_empty() && table.len().is_multiple_of(24),
            "{table:x?}: whole Elf64_Rela entries"
        );
        // The table lies before this function's code in the same image: within 1 GiB of it.
        let code = relocation_table as fn() -> Option<Range<usize>> as usize;
        assert!(
            table.end < code && code - table.start < 1 << 30,
            "{table:x?} vs {code:x}"
        );
        release_loader_relocations(); // and the process goes on
        assert_eq!(relocation_table(), Some(table));
    }
}
