/** The mark: a white cross on a red tile, and the name. */
export function Brand() {
  return (
    <a className="brand" href="#/servers">
      <svg
        className="brand-mark"
        viewBox="0 0 32 32"
        width="28"
        height="28"
        aria-hidden="true"
        focusable="false"
      >
        <rect width="32" height="32" rx="8" fill="var(--brand)" />
        <path d="M13.5 8h5v5.5H24v5h-5.5V24h-5v-5.5H8v-5h5.5Z" fill="#fff" />
      </svg>
      <span>Helvetia</span>
    </a>
  )
}
