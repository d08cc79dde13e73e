<#
.SYNOPSIS
  Build the Windows one-folder app and its per-user installer (see docs/packaging.md).

.DESCRIPTION
  Creates a fresh virtual environment with Python 3.11 x64, installs the project
  with its [package] extra (which pins PyInstaller), runs packaging\build.py to
  freeze the app, optionally Authenticode-signs the executables, and compiles
  packaging\installer.iss with Inno Setup 6 (ISCC.exe).

.PARAMETER Sign
  Sign armed-options.exe, armed-options-gui.exe, every unsigned DLL/.pyd in the
  folder, then the installer and its uninstaller, with signtool.
  Needs $env:SIGN_CERT_SHA1 (thumbprint of the code-signing certificate whose
  private key is on the hardware token / HSM) and $env:SIGN_TIMESTAMP_URL
  (the CA's RFC 3161 server); optional $env:SIGNTOOL (signtool.exe from the Windows SDK).

.PARAMETER NoInstaller
  Only build the one-folder app (packaging\dist\armed-options).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build.ps1
  $env:SIGN_CERT_SHA1 = "0123...ABCD"; $env:SIGN_TIMESTAMP_URL = "<your CA's RFC 3161 URL>"
  .\packaging\build.ps1 -Sign
#>
param(
    [switch]$Sign,
    [switch]$NoInstaller,
    [string]$Python = "py -3.11"
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    Write-Host "build.ps1: $Exe $($Arguments -join ' ')"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "build.ps1: '$Exe' exited with $LASTEXITCODE" }
}

# 1. A clean venv with exactly the pinned dependencies (never the developer's site-packages).
$Venv = Join-Path $Root "packaging\build\venv"   # git-ignored with the other build outputs
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
$PyParts = @($Python -split " " | Where-Object { $_ })
$PyArgs = @()
if ($PyParts.Length -gt 1) { $PyArgs = @($PyParts[1..($PyParts.Length - 1)]) }
Invoke-Checked $PyParts[0] ($PyArgs + @("-m", "venv", $Venv))
$VenvPy = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $VenvPy @("-c", "import struct, sys; assert sys.version_info[:2] == (3, 11) and struct.calcsize('P') == 8, 'need Python 3.11 x64'")
Invoke-Checked $VenvPy @("-m", "pip", "install", "--upgrade", "pip")
Invoke-Checked $VenvPy @("-m", "pip", "install", ".[package]")

# 2. Freeze, sign, and compile the installer (build.py does the ordering: sign the app
#    BEFORE the installer packs it, then Inno Setup signs setup.exe and the uninstaller).
$BuildArgs = @("packaging\build.py", "--clean")
if (-not $NoInstaller) { $BuildArgs += "--installer" }
if ($Sign) { $BuildArgs += "--sign" }
Invoke-Checked $VenvPy $BuildArgs

# 3. Smoke-test the frozen app on this Windows machine.
$Exe = Join-Path $Root "packaging\dist\armed-options\armed-options.exe"
$SelfCheck = Join-Path $Root "packaging\dist\armed-options\armed-options-selfcheck.exe"
Invoke-Checked $Exe @("--version")
Invoke-Checked $SelfCheck @()
$Sample = Join-Path $Root "packaging\dist\armed-options\_internal\sample_data\borderdale.xlsx"
Invoke-Checked $Exe @("validate", $Sample)
$Summary = Join-Path $env:TEMP "armed-options-summary.xlsx"
Invoke-Checked $Exe @("appraise", $Sample, "-o", $Summary, "--samples", "2000")
$env:ARMED_OPTIONS_QUIT_AFTER_MS = "3000"
$Gui = Start-Process -FilePath $Exe -ArgumentList "gui" -PassThru -Wait
Remove-Item Env:\ARMED_OPTIONS_QUIT_AFTER_MS
if ($Gui.ExitCode -ne 0) { throw "build.ps1: the GUI exited with $($Gui.ExitCode)" }

$SizeMB = [math]::Round(((Get-ChildItem -Recurse -File "packaging\dist\armed-options" |
    Where-Object { $_.Name -notlike "armed-options-selfcheck*" } |
    Measure-Object -Property Length -Sum).Sum / 1MB), 1)
Write-Host "build.ps1: one-folder app as installed: $SizeMB MB"
Get-ChildItem "packaging\dist\installer\*.exe" -ErrorAction SilentlyContinue |
    ForEach-Object { Write-Host ("build.ps1: installer {0} ({1:N1} MB)" -f $_.FullName, ($_.Length / 1MB)) }
