package authy

import "unsafe"

// RawClientForTest exposes the C handle to the fork test (which uses it from C only).
func RawClientForTest(c *Client) unsafe.Pointer {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return unsafe.Pointer(c.ptr)
}
