# Installs (or updates) mana-llm as a Windows service with NSSM (https://nssm.cc), for the GPU server.
# Run from an elevated PowerShell in the gateway's folder, after `npm ci` and `npm run build` (dist/):
#   .\scripts\windows\install-service.ps1                       # profile gpu-server, variables from .env
#   .\scripts\windows\install-service.ps1 -ConfigProfile default -EnvFile C:\mana-llm\prod.env
# The variables of the env file (KEY=VALUE lines, as in .env.example) become the service's environment;
# NSSM keeps them in the service's registry key, readable by administrators only.
# Windows has no SIGHUP: after editing aliases.yaml, check it and restart the service:
#   npm run check-config -- --profile gpu-server ; Restart-Service mana-llm
param(
  [string]$Name = 'mana-llm',
  [string]$ConfigProfile = 'gpu-server',
  [string]$EnvFile = '.env',
  [string]$Nssm = 'nssm'
)
$ErrorActionPreference = 'Stop'

$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$node = (Get-Command node).Source
$logs = Join-Path $env:ProgramData 'mana-llm\logs'
New-Item -ItemType Directory -Force -Path $logs | Out-Null

# The service's environment: the env file's non-empty variables, and the profile given here.
$variables = @("MANA_LLM_PROFILE=$ConfigProfile")
$envPath = if ([System.IO.Path]::IsPathRooted($EnvFile)) { $EnvFile } else { Join-Path $root $EnvFile }
if (Test-Path $envPath) {
  foreach ($line in Get-Content $envPath) {
    if ($line.Trim() -match '^([A-Za-z_][A-Za-z0-9_]*)=(.+)$' -and $Matches[1] -ne 'MANA_LLM_PROFILE') {
      $variables += "$($Matches[1])=$($Matches[2])"
      Set-Item -Path "env:$($Matches[1])" -Value $Matches[2]
    }
  }
}
$env:MANA_LLM_PROFILE = $ConfigProfile

# A profile that cannot start is reported here, not by a service that keeps restarting.
Push-Location $root
try {
  & $node dist/core/check-config.js
  if ($LASTEXITCODE -ne 0) { throw "the config check failed for profile $ConfigProfile; fix it and run this again" }
} finally {
  Pop-Location
}

if (Get-Service -Name $Name -ErrorAction SilentlyContinue) {
  & $Nssm stop $Name | Out-Null
} else {
  & $Nssm install $Name $node | Out-Null
}
& $Nssm set $Name Application $node
& $Nssm set $Name AppParameters 'dist/core/main.js'
& $Nssm set $Name AppDirectory $root
& $Nssm set $Name AppEnvironmentExtra @variables
& $Nssm set $Name DisplayName 'mana-llm gateway'
& $Nssm set $Name Description 'mana-llm: OpenAI-compatible LLM gateway (docs/deployment.md)'
& $Nssm set $Name Start SERVICE_AUTO_START
# Restart whenever it exits; NSSM stops it with Ctrl+C first, which the gateway handles like SIGINT.
& $Nssm set $Name AppExit Default Restart
& $Nssm set $Name AppRestartDelay 2000
& $Nssm set $Name AppStopMethodConsole 10000
# JSON log lines to a file, rotated at 10 MB while running.
& $Nssm set $Name AppStdout (Join-Path $logs 'mana-llm.log')
& $Nssm set $Name AppStderr (Join-Path $logs 'mana-llm.log')
& $Nssm set $Name AppRotateFiles 1
& $Nssm set $Name AppRotateOnline 1
& $Nssm set $Name AppRotateBytes 10485760
& $Nssm start $Name
Write-Host "mana-llm runs as service '$Name' with profile $ConfigProfile; logs in $logs"
