# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that every URL of the AppStream metainfo lives under the project's homepage, so the
# homepage, the screenshots and the bug tracker move together when the site does.
# Usage: cmake -DMETAINFO=file -DBASE=https://… -P checkurls.cmake
file(READ "${METAINFO}" text)
string(REGEX MATCHALL "https?://[^<\" ]+" urls "${text}")
list(LENGTH urls count)
if(count LESS 3)
    message(FATAL_ERROR "expected the homepage, a screenshot and the bug tracker, found: ${urls}")
endif()
foreach(url IN LISTS urls)
    string(FIND "${url}" "${BASE}" at)
    if(NOT at EQUAL 0)
        message(FATAL_ERROR "${url} is not under ${BASE}")
    endif()
endforeach()
message(STATUS "${count} URLs under ${BASE}")
